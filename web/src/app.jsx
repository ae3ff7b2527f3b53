// The shell (header, navigation, notifications badge) and the route table.
import { useEffect, useState } from 'preact/hooks';
import { get, logout } from './lib/api.js';
import { Link, match, navigate, useLocation } from './lib/router.js';
import { useSession } from './lib/session.js';
import { Loading, PageTitle } from './components/common.jsx';
import { EventsPage } from './pages/Events.jsx';
import { EventPage } from './pages/EventPage.jsx';
import { BookingPage } from './pages/BookingPage.jsx';
import { MyBookingsPage } from './pages/MyBookings.jsx';
import { WaitlistPage } from './pages/Waitlist.jsx';
import { NotificationsPage } from './pages/Notifications.jsx';
import { LoginPage, RegisterPage } from './pages/Auth.jsx';
import { ProfilePage } from './pages/Profile.jsx';
import { WaitingRoomPage } from './pages/WaitingRoom.jsx';
import { DashboardPage } from './pages/admin/Dashboard.jsx';
import { AdminEventsPage } from './pages/admin/AdminEvents.jsx';
import { EventEditorPage } from './pages/admin/EventEditor.jsx';
import { EventAnalyticsPage } from './pages/admin/EventAnalytics.jsx';
import { VenuesPage, VenueEditorPage } from './pages/admin/Venues.jsx';
import { UsersPage } from './pages/admin/Users.jsx';

// [pattern, page, who may see it: null (anyone), 'user' or 'admin']
const ROUTES = [
  ['/', EventsPage, null],
  ['/events', EventsPage, null],
  ['/events/:id', EventPage, null],
  ['/events/:id/queue', WaitingRoomPage, 'user'],
  ['/bookings', MyBookingsPage, 'user'],
  ['/bookings/:id', BookingPage, 'user'],
  ['/waitlist', WaitlistPage, 'user'],
  ['/notifications', NotificationsPage, 'user'],
  ['/profile', ProfilePage, 'user'],
  ['/login', LoginPage, null],
  ['/register', RegisterPage, null],
  ['/admin', DashboardPage, 'admin'],
  ['/admin/events', AdminEventsPage, 'admin'],
  ['/admin/events/new', EventEditorPage, 'admin'],
  ['/admin/events/:id', EventEditorPage, 'admin'],
  ['/admin/events/:id/analytics', EventAnalyticsPage, 'admin'],
  ['/admin/venues', VenuesPage, 'admin'],
  ['/admin/venues/new', VenueEditorPage, 'admin'],
  ['/admin/venues/:id', VenueEditorPage, 'admin'],
  ['/admin/users', UsersPage, 'admin'],
];

function route(path) {
  for (const [pattern, Page, access] of ROUTES) {
    const params = match(pattern, path);
    if (params) return { Page, access, params };
  }
  return null;
}

// Unread in-app notifications, looked up on each navigation and every 30 s.
function useUnread(user, path) {
  const [unread, setUnread] = useState(0);
  useEffect(() => {
    if (!user) {
      setUnread(0);
      return undefined;
    }
    const look = () =>
      get('/users/notifications', { unread: true, per_page: 1 }).then(
        (r) => setUnread(r.pagination.total),
        () => {},
      );
    look();
    const timer = setInterval(look, 30_000);
    addEventListener('evently:notifications', look);
    return () => {
      clearInterval(timer);
      removeEventListener('evently:notifications', look);
    };
  }, [user?.id, path]);
  return unread;
}

function Header({ user, path }) {
  const unread = useUnread(user, path);
  const current = (href) => (path === href || (href !== '/' && path.startsWith(`${href}/`)) ? 'page' : undefined);
  return (
    <header class="site-header">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <Link href="/" class="brand" aria-label="Evently, all events">
        <span aria-hidden="true" class="brand-mark">
          E
        </span>
        Evently
      </Link>
      <nav aria-label="Main">
        <ul>
          <li>
            <Link href="/" aria-current={path === '/' || current('/events')}>
              Events
            </Link>
          </li>
          {user && (
            <>
              <li>
                <Link href="/bookings" aria-current={current('/bookings')}>
                  My bookings
                </Link>
              </li>
              <li>
                <Link href="/waitlist" aria-current={current('/waitlist')}>
                  Waitlist
                </Link>
              </li>
              <li>
                <Link href="/notifications" aria-current={current('/notifications')}>
                  Notifications
                  {unread > 0 && (
                    <span class="count" data-testid="unread-count">
                      {unread}
                      <span class="visually-hidden"> unread</span>
                    </span>
                  )}
                </Link>
              </li>
            </>
          )}
          {user?.role === 'admin' && (
            <li>
              <Link href="/admin" aria-current={current('/admin')}>
                Box office
              </Link>
            </li>
          )}
        </ul>
      </nav>
      <div class="account">
        {user ? (
          <>
            <Link href="/profile" class="who">
              {user.full_name}
            </Link>
            <button
              type="button"
              class="link"
              onClick={async () => {
                await logout();
                navigate('/');
              }}
            >
              Log out
            </button>
          </>
        ) : (
          <>
            <Link href={`/login?next=${encodeURIComponent(path)}`}>Log in</Link>
            <Link href="/register" class="button primary small">
              Sign up
            </Link>
          </>
        )}
      </div>
    </header>
  );
}

function AdminNav({ path }) {
  const items = [
    ['/admin', 'Dashboard'],
    ['/admin/events', 'Events'],
    ['/admin/venues', 'Venues'],
    ['/admin/users', 'Users and roles'],
  ];
  return (
    <nav class="subnav" aria-label="Box office">
      <ul>
        {items.map(([href, text]) => (
          <li>
            <Link href={href} aria-current={path === href || (href !== '/admin' && path.startsWith(href)) ? 'page' : undefined}>
              {text}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Redirect({ to }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function Body({ found, session, loc }) {
  if (!found) {
    return (
      <>
        <PageTitle>Page not found</PageTitle>
        <p>
          There is nothing at <code>{loc.path}</code>. <Link href="/">See all events</Link>.
        </p>
      </>
    );
  }
  if (found.access && session.loading) return <Loading />;
  if (found.access && !session.user) {
    const back = loc.path + (loc.query.toString() ? `?${loc.query}` : '');
    return <Redirect to={`/login?next=${encodeURIComponent(back)}`} />;
  }
  if (found.access === 'admin' && session.user.role !== 'admin') {
    return (
      <>
        <PageTitle>Box office only</PageTitle>
        <p>This page is for administrators. You are logged in as {session.user.email}.</p>
      </>
    );
  }
  const { Page, params } = found;
  return <Page key={loc.path} params={params} query={loc.query} user={session.user} />;
}

export function App() {
  const loc = useLocation();
  const session = useSession();
  const found = route(loc.path);
  return (
    <>
      <Header user={session.user} path={loc.path} />
      {loc.path.startsWith('/admin') && session.user?.role === 'admin' && <AdminNav path={loc.path} />}
      <main id="main" class="main">
        <Body found={found} session={session} loc={loc} />
      </main>
      <footer class="site-footer">
        <p>
          Evently · <a href="/docs">API reference</a>
        </p>
      </footer>
    </>
  );
}
