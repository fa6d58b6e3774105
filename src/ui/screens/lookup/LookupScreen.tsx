// Route target; the screen itself is built in the web-app issue.
export default function LookupScreen() {
  return (
    <section class="card">
      <h1>Lookup</h1>
    </section>
  );
}
