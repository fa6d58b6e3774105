// Route target; the screen itself is built in the web-app issue.
export default function BillPrintScreen() {
  return (
    <section class="card">
      <h1>BillPrint</h1>
    </section>
  );
}
