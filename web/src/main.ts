import './styles/base.css';
import './styles/layout.css';
import './styles/components.css';
import { App } from './app';

new App(document.getElementById('app')!).start();
