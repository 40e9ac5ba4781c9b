#!/bin/sh
# 8. s, h and H run schedule / pause envelope / resume envelope on the
# cursor row (or the tagged rows); STATE shows "suspend" after h.
. "${srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
need_tmux
e2e_init
start_mhtop
wait_for '14 envelopes' 10
keys j
check 'cursor on 15ef78e2d1245448' wait_cursor 15ef78e2d1245448

row_re() { # EVPID: the screen row of EVPID
	screen | grep -F "$1"
}

log_mark
keys s
check 's: smtpctl schedule 15ef78e2d1245448' wait_log 'schedule 15ef78e2d1245448'
wait_for '1 envelope scheduled'
assert_eq "$(actions_since)" 'schedule 15ef78e2d1245448' 's ran exactly one schedule of the cursor row'
check 'the row shows NEXT 0s after the re-poll' \
    on_screen_re '15ef78e2d1245448 +[^ ]+ +0s +1 mta +pending' 5
# the outcome belongs to its moment: once the queue has been read again
# since, it says how old it is (interval 1)
check 'read again since: the outcome says its age' \
    on_screen_re '^1 envelope scheduled: 15ef78e2d1245448  \([0-9]+s ago\)' 8

log_mark
keys h
check 'h: smtpctl pause envelope 15ef78e2d1245448' wait_log 'pause envelope 15ef78e2d1245448'
wait_for '1 envelope paused'
assert_eq "$(actions_since)" 'pause envelope 15ef78e2d1245448' 'h ran exactly one pause envelope'
check 'the outcome says it in the words of STATE' \
    on_screen '1 envelope paused: 15ef78e2d1245448 (STATE suspend)' 3
check 'STATE shows suspend after h' \
    on_screen_re '15ef78e2d1245448 .* mta +suspend +.*victor@' 5
# no try is due while it is suspended: NEXT says none, and the envelope
# is not the most overdue one when the queue is sorted by NEXT
check 'NEXT is "-" while suspended' \
    on_screen_re '15ef78e2d1245448 +[^ ]+ +- +1 mta +suspend' 5
title_next() { # the NEXT title, "NEXT" or "NEXT-" (reversed)
	screen | grep '^ . ENVELOPE' | grep -o 'NEXT-\{0,1\}'
}
keys '>'
sleep 0.5
next1=$(title_next)
assert_eq "$(screen_evpids | tail -n 1)" 15ef78e2d1245448 \
    "sorted by NEXT ($next1): the suspended envelope comes last"
keys R
check 'R: NEXT the other way' on_screen_re "^ . ENVELOPE .*NEXT$([ "$next1" = NEXT ] && echo -) " 3
assert_eq "$(screen_evpids | tail -n 1)" 15ef78e2d1245448 \
    "sorted by $(title_next): the suspended envelope still comes last"
keys R '<'
wait_for '14 envelopes: 13 pending (1 suspended, 0 held), 1 inflight  oldest'
check 'the fake has the suspend flag' grep -q '^15ef78e2d1245448|inet4|mta|suspend|' "$QUEUE"

log_mark
keys H
check 'H: smtpctl resume envelope 15ef78e2d1245448' wait_log 'resume envelope 15ef78e2d1245448'
wait_for '1 envelope resumed: 15ef78e2d1245448 (STATE pending)'
assert_eq "$(actions_since)" 'resume envelope 15ef78e2d1245448' 'H ran exactly one resume envelope'
check 'STATE back to pending after H' \
    on_screen_re '15ef78e2d1245448 .* mta +pending +.*victor@' 5
wait_for '14 envelopes: 13 pending, 1 inflight  oldest'

# on tagged rows: one command per tagged envelope, one summary
keys g Space Space
wait_for '2 tagged'
log_mark
keys h
# the tags were the action's: they are cleared, and the status says so
wait_for '2 envelopes paused: 0862d5e211583af9 and 15ef78e2d1245448 (STATE suspend); tags cleared'
check 'no tagged count left' off_screen_re '[0-9]+ tagged' 3
got=$(actions_since | sort)
assert_eq "$got" 'pause envelope 0862d5e211583af9
pause envelope 15ef78e2d1245448' 'h on 2 tagged rows: their 2 pause envelope'
wait_for '14 envelopes: 13 pending (2 suspended, 0 held), 1 inflight  oldest'
check 'both tagged rows show suspend' on_screen_re '0862d5e211583af9 .* suspend ' 3
check 'both tagged rows show suspend' on_screen_re '15ef78e2d1245448 .* suspend ' 3
assert_no_screen_re '3047f32eaba40d19 .* suspend ' 'the cursor row (untagged) was not paused'
keys g Space Space
wait_for '2 tagged'
log_mark
keys H
wait_for '2 envelopes resumed'
got=$(actions_since | sort)
assert_eq "$got" 'resume envelope 0862d5e211583af9
resume envelope 15ef78e2d1245448' 'H on 2 tagged rows: their 2 resume envelope'
keys U
wait_for 'all untagged'

# schedule on an envelope that is not pending: smtpctl's own answer is shown
keys G
check 'cursor on the last row' wait_cursor 7bb7df62a81a2c06
keys k k
check 'cursor on the inflight row' wait_cursor ecc8a5b7fc7f5b8c
log_mark
keys s
wait_log 'schedule ecc8a5b7fc7f5b8c'
wait_for '0 envelope scheduled'
keys q
check 'q quits' wait_exit 3
finish
