import './main.css';
import { createRoot } from 'react-dom/client';
import { view } from '@forge/bridge';
import { App } from './App';

void view.theme.enable().catch(() => undefined);
createRoot(document.getElementById('root')!).render(<App />);
