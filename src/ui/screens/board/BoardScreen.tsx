// Route target; the screen itself is built in the web-app issue.
export default function BoardScreen() {
  return (
    <section class="card">
      <h1>Board</h1>
    </section>
  );
}
