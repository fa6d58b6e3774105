// Route target; the screen itself is built in the web-app issue.
export default function BillScreen() {
  return (
    <section class="card">
      <h1>Bill</h1>
    </section>
  );
}
