-- Every hold, confirmation and release sets a seat's status and booking. The seats of a booking
-- are found through booking_seats (its primary key leads with booking_id) and by their own key,
-- so no index of seats needs booking_id, and a seat's write rewrites one b-tree, not two.
DROP INDEX IF EXISTS seats_booking;
