import './main.css';
import { createRoot } from 'react-dom/client';
import { view } from '@forge/bridge';
import { AnnouncerProvider } from '../../shared/Announcer';
import { App } from './App';

// Atlassian design tokens: the host injects the light or dark theme's --ds-* variables.
void view.theme.enable().catch(() => undefined);
createRoot(document.getElementById('root')!).render(
  <AnnouncerProvider>
    <App />
  </AnnouncerProvider>,
);
