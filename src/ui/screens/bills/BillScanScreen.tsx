// Route target; the screen itself is built in the web-app issue.
export default function BillScanScreen() {
  return (
    <section class="card">
      <h1>BillScan</h1>
    </section>
  );
}
