// Route target; the screen itself is built in the web-app issue.
export default function BillsScreen() {
  return (
    <section class="card">
      <h1>Bills</h1>
    </section>
  );
}
