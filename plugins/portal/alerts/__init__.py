"""Email alerts: a citizen asks to hear of new consultations (all, or by topic or area),
confirms by a link in an email (double opt-in), and can unsubscribe from every alert in one
click. When a build publishes a new consultation or an outcome, each confirmed subscriber
it concerns gets one email, through the outbox (portal.mail), never twice.

subscriptions.py keeps the subscribers, announce.py finds what a build published,
routes.py is the endpoint's pages at /alerts/.
"""
