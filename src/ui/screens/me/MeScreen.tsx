// Route target; the screen itself is built in the web-app issue.
export default function MeScreen() {
  return (
    <section class="card">
      <h1>Me</h1>
    </section>
  );
}
