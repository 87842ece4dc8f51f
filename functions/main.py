"""HTTP entry points, deployable one per Cloud Function.

One line each into hearth.web, the only code that knows HTTP: what a function does is
found by its name there, and this file stays cheap to import (cold start). The function
name is the URL path: /intake locally, .../intake when deployed.
"""

import functions_framework

from hearth.web import admin as admin_api
from hearth.web import analytics as analytics_api
from hearth.web import bookings as bookings_api
from hearth.web import calendar as calendar_api
from hearth.web import deals as deals_api
from hearth.web import email_inbound as email_inbound_api
from hearth.web import export as export_api
from hearth.web import intake as intake_api
from hearth.web import openapi as openapi_doc
from hearth.web import tasks as tasks_api
from hearth.web import track as track_api
from hearth.web import whatsapp as whatsapp_api

http = functions_framework.http

intake = http(intake_api.handle)  # POST: a public form becomes (part of) a customer
openapi = http(openapi_doc.handle)  # GET: the public API, described from its models
admin = http(admin_api.handle)  # /admin/...: staff change customers and settings
export = http(export_api.handle)  # GET: the customers a signed-in user may take away
availability = http(bookings_api.availability)  # GET: free times for a call
book = http(bookings_api.book)  # POST: a visitor books a call; one slot, one person
booking = http(bookings_api.booking)  # /booking/{id}: look up, cancel or move a call
calendar_sync = http(calendar_api.sync)  # POST: the scheduled retry of calendar copies
track = http(track_api.handle)  # POST: a pageview or event from the site's /track.js
analytics_rollover = http(track_api.rollover)  # POST: scheduled; new salt, days compacted
analytics = http(analytics_api.handle)  # GET: traffic, leads and money per source (owner, manager)
sweep = http(tasks_api.sweep)  # POST: scheduled every minute; marks overdue tasks
reports = http(deals_api.handle)  # GET /reports/{name}: pipeline reports; a rep's own
whatsapp = http(whatsapp_api.handle)  # GET/POST: the WhatsApp Cloud API webhook (signed)
email_inbound = http(email_inbound_api.handle)  # POST: an e-mail a customer sent (shared secret)
