"""Messages to clients (issue 18): templates, e-mail, SMS, the rules and the log.
No Qt here; the window's parts are app/ui/message_*.py and app/ui/messages_settings.py."""
