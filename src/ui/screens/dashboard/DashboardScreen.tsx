// Route target; the screen itself is built in the web-app issue.
export default function DashboardScreen() {
  return (
    <section class="card">
      <h1>Dashboard</h1>
    </section>
  );
}
