import './main.css';
import { createRoot } from 'react-dom/client';
import { view } from '@forge/bridge';
import { AnnouncerProvider } from '../../shared/Announcer';
import { App } from './App';

void view.theme.enable().catch(() => undefined);
createRoot(document.getElementById('root')!).render(
  <AnnouncerProvider>
    <App />
  </AnnouncerProvider>,
);
