// Route target; the screen itself is built in the web-app issue.
export default function BagsScreen() {
  return (
    <section class="card">
      <h1>Bags</h1>
    </section>
  );
}
