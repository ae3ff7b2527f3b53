// The scenarios, in the order they run (later ones may rely on the demo data the earlier left).
import logic from './logic.mjs';
import buyer from './buyer.mjs';
import forms from './forms.mjs';
import admin from './admin.mjs';
import waitlist from './waitlist.mjs';
import pages from './pages.mjs';
import waitingRoom from './waiting_room.mjs';
import live from './live.mjs';

export const scenarios = [...logic, ...buyer, ...live, ...admin, ...waitlist, ...forms, ...pages, ...waitingRoom];
