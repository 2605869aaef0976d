package io.etrms.streams.breakers;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * When an account's trading sessions begin: every day at {@code start} local time in {@code zone}
 * (e.g. 17:00 America/New_York, as US futures desks count their day). {@code daily_pnl} and the
 * daily loss limit count from the latest session start; a session is named by the local date it
 * starts on. Daylight-saving changes are the zone's: 17:00 New York is 22:00 UTC in winter and 21:00
 * UTC in summer. On a day whose start time does not exist (inside a spring-forward gap) the session
 * starts at the first instant after the gap; when it exists twice (fall-back overlap), at the earlier.
 *
 * @param start                the local time sessions start at
 * @param zone                 the time zone of {@code start}
 * @param lockUntilNextSession a tripped {@code daily_loss} keeps its account HALTED until the next
 *                             session starts, and then re-arms by itself (else it latches until a reset)
 */
public record SessionCalendar(LocalTime start, ZoneId zone, boolean lockUntilNextSession) {

    /** Sessions from 00:00 UTC, latching daily loss: the behaviour before sessions were configurable. */
    public static final SessionCalendar UTC_MIDNIGHT = new SessionCalendar(LocalTime.MIDNIGHT, ZoneId.of("UTC"), false);

    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    /**
     * Calendars already parsed, by their text: a stage reads a session start and zone from every
     * breaker state and limits merge, and parsing them each time showed in the profile. A
     * deployment has a handful; past {@link #CACHE_LIMIT} the cache starts again.
     */
    private static final java.util.concurrent.ConcurrentHashMap<String, SessionCalendar> PARSED = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int CACHE_LIMIT = 256;

    /** The calendar of {@code start} ({@code HH:mm}) in {@code zone}, parsed once. */
    public static SessionCalendar of(String start, String zone, boolean lockUntilNextSession) {
        String key = start + '|' + zone + '|' + lockUntilNextSession;
        SessionCalendar known = PARSED.get(key);
        if (known != null) {
            return known;
        }
        SessionCalendar parsed = new SessionCalendar(parseStart(start), parseZone(zone), lockUntilNextSession);
        if (PARSED.size() >= CACHE_LIMIT) {
            PARSED.clear();
        }
        PARSED.put(key, parsed);
        return parsed;
    }

    /** The session {@code epochMs} lies in: the epoch day of the local date its session started on. */
    public long sessionOf(long epochMs) {
        ZonedDateTime at = Instant.ofEpochMilli(epochMs).atZone(zone);
        LocalDate date = at.toLocalDate();
        return at.toInstant().isBefore(startOn(date)) ? date.toEpochDay() - 1 : date.toEpochDay();
    }

    /** When session {@code session} (an epoch day, see {@link #sessionOf}) starts, epoch ms. */
    public long startOf(long session) {
        return startOn(LocalDate.ofEpochDay(session)).toEpochMilli();
    }

    /** When the session after the one {@code epochMs} lies in starts, epoch ms. */
    public long nextStart(long epochMs) {
        return startOf(sessionOf(epochMs) + 1);
    }

    private Instant startOn(LocalDate date) {
        return ZonedDateTime.of(date, start, zone).toInstant();
    }

    /** {@code HH:mm}, as written in risk-limits and configuration. */
    public String startText() {
        return start.format(HH_MM);
    }

    /** Parses {@code HH:mm} (00:00 to 23:59); {@link IllegalArgumentException} saying why when it does not. */
    public static LocalTime parseStart(String text) {
        try {
            return LocalTime.parse(text, HH_MM);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("session_start must be HH:mm (00:00 to 23:59), was '" + text + "'");
        }
    }

    /** Parses a time-zone id such as {@code America/New_York} or {@code UTC}. */
    public static ZoneId parseZone(String text) {
        try {
            return ZoneId.of(text);
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("session_time_zone must be a time-zone id such as America/New_York, was '" + text + "'");
        }
    }
}
