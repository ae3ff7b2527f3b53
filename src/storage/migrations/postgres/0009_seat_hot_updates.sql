-- Every hold, confirmation and release sets a seat's status and booking. The seats of a booking
-- are found through booking_seats (its primary key leads with booking_id) and by their own key,
-- so no index of seats needs booking_id: a seat's write then changes no indexed column, and
-- PostgreSQL updates it in place on its page (a HOT update: no new index entries), given room on
-- the page, which the fill factor keeps for the seats of events created from now on.
DROP INDEX IF EXISTS seats_booking;
ALTER TABLE seats SET (fillfactor = 80);
