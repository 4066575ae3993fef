package dev.toban.postmortem.meeting;

import dev.toban.postmortem.config.PostmortemConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;

/** Builds the business calendar and the slot finder once, from configuration. */
public class CalendarProducer {

    @Produces
    @Singleton
    BusinessCalendar calendar(PostmortemConfig config) {
        return BusinessCalendar.of(config.calendar().publicHolidays(), config.calendar().extraHolidays().orElse(List.of()));
    }

    @Produces
    @Singleton
    SlotFinder slotFinder(BusinessCalendar calendar, PostmortemConfig config) {
        PostmortemConfig.Scheduling s = config.scheduling();
        Duration workday = Duration.between(s.workdayStart(), s.workdayEnd());
        if (s.meetingLength().compareTo(workday) > 0) {
            throw new IllegalStateException("toban.postmortem.scheduling.meeting-length " + s.meetingLength()
                    + " does not fit in working hours " + s.workdayStart() + "-" + s.workdayEnd());
        }
        return new SlotFinder(calendar, s.workdayStart(), s.workdayEnd(), s.slotStep());
    }
}
