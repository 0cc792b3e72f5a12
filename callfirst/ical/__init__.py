"""Pure iCalendar reading: bytes in, frozen events out. No files, no network, no clock.

prefilter  which raw VEVENT blocks can matter (window, interview words), decided on bytes
split      raw lines into components; unfolding, nesting, missing ENDs
zones      custom VTIMEZONEs kept apart; zone names shown to people
simple     a plain one-off event read straight from its bytes
plain      a plain series read from its lines and expanded as recurring-ical-events expands it
steps      the instances of the simplest rules, stepped directly; which rules never repeat
expand     one UID parsed by icalendar and expanded within the window, bounded
budget     what expanding recurrences may cost in one scan (instances and steps), and the walks that charge it
convert    an icalendar component to the tool's Event
context    what every reader of one read needs, made once per read
read       the whole path from bytes to events
invitation sniffing a source, and the calendar parts of an invitation email
"""
