package io.etrms.streams.breakers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** Sessions by hand: 17:00 New York is 22:00 UTC under EST (UTC−5) and 21:00 UTC under EDT (UTC−4, from 8 March 2026). */
class SessionCalendarTest {

    private static final SessionCalendar NEW_YORK = SessionCalendar.of("17:00", "America/New_York", false);

    private static long at(String utc) {
        return Instant.parse(utc).toEpochMilli();
    }

    @Test
    void shouldNameEachSessionByTheLocalDateItStartsOnAcrossTheDaylightSavingChange() {
        assertThat(LocalDate.ofEpochDay(NEW_YORK.sessionOf(at("2026-03-06T21:59:59Z")))).isEqualTo("2026-03-05");   // 16:59:59 EST
        assertThat(LocalDate.ofEpochDay(NEW_YORK.sessionOf(at("2026-03-06T22:00:00Z")))).isEqualTo("2026-03-06");   // 17:00 EST
        assertThat(LocalDate.ofEpochDay(NEW_YORK.sessionOf(at("2026-03-08T20:59:59Z")))).isEqualTo("2026-03-07");   // 16:59:59 EDT
        assertThat(LocalDate.ofEpochDay(NEW_YORK.sessionOf(at("2026-03-08T21:00:00Z")))).isEqualTo("2026-03-08");   // 17:00 EDT
        // the session of 7 March (EST at its start) ends when that of 8 March starts: 21:00 UTC
        assertThat(Instant.ofEpochMilli(NEW_YORK.nextStart(at("2026-03-08T12:00:00Z")))).isEqualTo("2026-03-08T21:00:00Z");
    }

    @Test
    void shouldParseEachCalendarOnceAndRefuseBadText() {
        assertThat(SessionCalendar.of("17:00", "America/New_York", false)).isSameAs(NEW_YORK);
        assertThat(SessionCalendar.of("17:00", "America/New_York", true)).isNotSameAs(NEW_YORK);
        assertThatThrownBy(() -> SessionCalendar.of("7:00", "UTC", false)).hasMessage("session_start must be HH:mm (00:00 to 23:59), was '7:00'");
        assertThatThrownBy(() -> SessionCalendar.of("07:00", "Mars/Olympus", false))
                .hasMessage("session_time_zone must be a time-zone id such as America/New_York, was 'Mars/Olympus'");
    }
}
