"""Pure iCalendar reading: bytes in, frozen events out. No files, no network, no clock.

prefilter  which raw VEVENT blocks can matter (window, interview words), decided on bytes
split      raw lines into components; unfolding, nesting, missing ENDs
zones      custom VTIMEZONEs kept apart; zone names shown to people
expand     one UID parsed by icalendar and expanded within the window, bounded
convert    an icalendar component to the tool's Event
read       the whole path from bytes to events
invitation sniffing a source, and the calendar parts of an invitation email
"""
