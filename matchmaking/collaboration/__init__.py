"""From "you should talk" to "we work together": contact requests, their message threads
and outcomes, anonymous postings and organisation exclusions (issue 13). A nested app with
its own label (`collaboration`) and migrations."""
