// Route target; the screen itself is built in the web-app issue.
export default function AdminScreen() {
  return (
    <section class="card">
      <h1>Admin</h1>
    </section>
  );
}
