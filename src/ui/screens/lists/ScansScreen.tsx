// Route target; the screen itself is built in the web-app issue.
export default function ScansScreen() {
  return (
    <section class="card">
      <h1>Scans</h1>
    </section>
  );
}
