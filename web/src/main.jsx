// The web app's entry: Evently for buyers and box offices, on the public API only.
import { render } from 'preact';
import './styles.css';
import { App } from './app.jsx';

render(<App />, document.getElementById('app'));
