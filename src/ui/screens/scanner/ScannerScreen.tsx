// Route target; the screen itself is built in the web-app issue.
export default function ScannerScreen() {
  return (
    <section class="card">
      <h1>Scanner</h1>
    </section>
  );
}
