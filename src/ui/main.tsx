import { render } from 'preact';

// Placeholder shell until the web-app issue lands: shows that the Worker serves the built UI.
function App() {
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: '2rem' }}>
      <h1>TraceTrack</h1>
      <p>The API is live under <code>/api</code>. Health: <a href="/health">/health</a>.</p>
    </main>
  );
}

render(<App />, document.getElementById('app')!);
