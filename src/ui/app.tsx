// Routes and the sign-in gate. Every screen but the sign-in form is a lazy chunk, so the scanner page loads
// only its own code (budget: 60 KB gzip of JS); each other screen names the catalog parts it needs, fetched
// with its chunk (i18n/parts.ts; test/node/ui/i18n-parts.test.ts checks every key a screen uses is there).
import { useEffect } from 'preact/hooks';
import { ErrorBoundary, lazy, LocationProvider, Route, Router, useLocation } from 'preact-iso';
import { t, withParts } from './i18n';
import { homeFor } from './shell/nav';
import { ScanGuard } from './shell/ScanGuard';
import { Shell } from './shell/Shell';
import { loadAreas } from './state/areas';
import { currentUser } from './state/session';
import LoginScreen from './screens/LoginScreen';

const ScannerScreen = lazy(() => import('./screens/scanner/ScannerScreen'));
// Opening straight on the scanner (the usual start of a shift): fetch its chunk while /api/auth/me is in
// flight instead of after it, one round trip less on a slow network.
if (typeof location !== 'undefined' && location.pathname.startsWith('/scan')) void ScannerScreen.preload();
const BoardScreen = lazy(() => withParts(['board'], () => import('./screens/board/BoardScreen')));
const DashboardScreen = lazy(() => withParts(['dashboard', 'board', 'system'], () => import('./screens/dashboard/DashboardScreen')));
const LookupScreen = lazy(() => withParts(['lookup', 'returns'], () => import('./screens/lookup/LookupScreen')));
const ScansScreen = lazy(() => withParts(['lists', 'lookup', 'returns'], () => import('./screens/lists/ScansScreen')));
const BagsScreen = lazy(() => withParts(['lists'], () => import('./screens/lists/BagsScreen')));
const BillsScreen = lazy(() => withParts(['bills'], () => import('./screens/bills/BillsScreen')));
const BillScreen = lazy(() => withParts(['bills', 'billScan', 'returns'], () => import('./screens/bills/BillScreen')));
const BillPrintScreen = lazy(() => withParts(['bills', 'returns'], () => import('./screens/bills/BillPrintScreen')));
const BillScanScreen = lazy(() => withParts(['bills', 'billScan', 'returns'], () => import('./screens/bills/BillScanScreen')));
const ReportsScreen = lazy(() => withParts(['reports', 'returns'], () => import('./screens/reports/ReportsScreen')));
const ReturnsScreen = lazy(() => withParts(['returns'], () => import('./screens/returns/ReturnsScreen')));
const ReturnScreen = lazy(() => withParts(['returns'], () => import('./screens/returns/ReturnScreen')));
const AdminScreen = lazy(() => withParts(['admin'], () => import('./screens/admin/AdminScreen')));
const MeScreen = lazy(() => withParts(['me'], () => import('./screens/me/MeScreen')));
// Its own chunk, with the spreadsheet libraries in its Web Worker: nothing of it reaches the scanner page.
const ImportScreen = lazy(() => withParts(['importScreen'], () => import('./screens/import/ImportScreen')));
const SystemScreen = lazy(() => withParts(['system'], () => import('./screens/system/SystemScreen')));

function Home() {
  const { route } = useLocation();
  const user = currentUser.value;
  useEffect(() => {
    if (user) route(homeFor(user.role), true);
  }, [user]);
  return null;
}

function NotFound() {
  return (
    <section class="card">
      <h1>{t('shell.notFound')}</h1>
      <p>
        {t('shell.notFoundText')} <a href="/">{t('shell.goHome')}</a>
      </p>
    </section>
  );
}

function Routes() {
  const user = currentUser.value;
  useEffect(() => {
    if (user) void loadAreas();
  }, [user?.id]);
  if (user === undefined) return <p class="loading">{t('shell.loading')}</p>;
  if (user === null) return <LoginScreen />;
  return (
    <Shell>
      <ErrorBoundary>
        <Router>
          <Route path="/" component={Home} />
          <Route path="/scan" component={ScannerScreen} />
          <Route path="/scan/:parentQr" component={ScannerScreen} />
          <Route path="/board" component={BoardScreen} />
          <Route path="/board/wall" component={BoardScreen} />
          <Route path="/dashboard" component={DashboardScreen} />
          <Route path="/lookup" component={LookupScreen} />
          <Route path="/lookup/:qr" component={LookupScreen} />
          <Route path="/history" component={ScansScreen} />
          <Route path="/bags" component={BagsScreen} />
          <Route path="/bills" component={BillsScreen} />
          <Route path="/bills/scan" component={BillScanScreen} />
          <Route path="/bills/:billNo" component={BillScreen} />
          <Route path="/bills/:billNo/print" component={BillPrintScreen} />
          <Route path="/reports" component={ReportsScreen} />
          <Route path="/returns" component={ReturnsScreen} />
          <Route path="/returns/:code" component={ReturnScreen} />
          <Route path="/admin" component={AdminScreen} />
          <Route path="/admin/:tab" component={AdminScreen} />
          <Route path="/me" component={MeScreen} />
          <Route path="/import" component={ImportScreen} />
          <Route path="/system" component={SystemScreen} />
          <Route default component={NotFound} />
        </Router>
      </ErrorBoundary>
    </Shell>
  );
}

export function App() {
  return (
    <LocationProvider>
      {/* Signed in, the shell answers stray scans; before that (sign-in, loading) this does. */}
      {!currentUser.value && <ScanGuard signedOut />}
      <Routes />
    </LocationProvider>
  );
}
