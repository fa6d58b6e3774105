// Route target; the screen itself is built in the web-app issue.
export default function ReportsScreen() {
  return (
    <section class="card">
      <h1>Reports</h1>
    </section>
  );
}
