package dev.toban.postmortem.meeting;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * Business days: Monday to Friday, minus public holidays (shipped as data, see
 * {@code holidays/jp.csv}) and extra dates from configuration.
 */
public final class BusinessCalendar {

    private static final Logger LOG = Logger.getLogger(BusinessCalendar.class);
    /** Company holidays from configuration carry this name. */
    public static final String EXTRA_HOLIDAY = "company holiday";

    private final Map<LocalDate, String> holidays;
    private final Set<Integer> coveredYears;
    private final Set<Integer> warnedYears = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public BusinessCalendar(Map<LocalDate, String> publicHolidays, Collection<LocalDate> extraHolidays) {
        Map<LocalDate, String> all = new HashMap<>(publicHolidays);
        extraHolidays.forEach(d -> all.putIfAbsent(d, EXTRA_HOLIDAY));
        this.holidays = Map.copyOf(all);
        TreeSet<Integer> years = new TreeSet<>();
        publicHolidays.keySet().forEach(d -> years.add(d.getYear()));
        this.coveredYears = Set.copyOf(years);
    }

    /**
     * Loads a public-holiday data set by name ({@code jp}) from the classpath, or none for {@code none}.
     */
    public static BusinessCalendar of(String publicHolidays, Collection<LocalDate> extraHolidays) {
        if (publicHolidays == null || publicHolidays.isBlank() || "none".equals(publicHolidays)) {
            return new BusinessCalendar(Map.of(), extraHolidays);
        }
        return new BusinessCalendar(load("holidays/" + publicHolidays + ".csv"), extraHolidays);
    }

    /** Reads {@code date,name} lines; lines starting with {@code #} are comments. */
    static Map<LocalDate, String> load(String resource) {
        InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource);
        if (in == null) {
            in = BusinessCalendar.class.getClassLoader().getResourceAsStream(resource);
        }
        if (in == null) {
            throw new IllegalArgumentException("No holiday data " + resource
                    + " (toban.postmortem.calendar.public-holidays must be jp or none)");
        }
        Map<LocalDate, String> result = new HashMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int comma = line.indexOf(',');
                LocalDate date = LocalDate.parse(comma < 0 ? line : line.substring(0, comma));
                result.put(date, comma < 0 ? "holiday" : line.substring(comma + 1).strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }

    public boolean isBusinessDay(LocalDate date) {
        DayOfWeek day = date.getDayOfWeek();
        if (day == DayOfWeek.SATURDAY || day == DayOfWeek.SUNDAY) {
            return false;
        }
        warnIfUncovered(date.getYear());
        return !holidays.containsKey(date);
    }

    public Optional<String> holidayName(LocalDate date) {
        return Optional.ofNullable(holidays.get(date));
    }

    /** The {@code n}th business day after {@code date} ({@code date} itself never counts); {@code date} for n = 0. */
    public LocalDate plusBusinessDays(LocalDate date, int n) {
        LocalDate day = date;
        for (int counted = 0; counted < n; ) {
            day = day.plusDays(1);
            if (isBusinessDay(day)) {
                counted++;
            }
        }
        return day;
    }

    /** Years the public-holiday data covers. */
    public Set<Integer> coveredYears() {
        return coveredYears;
    }

    private void warnIfUncovered(int year) {
        if (!coveredYears.isEmpty() && !coveredYears.contains(year) && warnedYears.add(year)) {
            LOG.warnf("The public-holiday data covers %s but not %d: only weekends and extra holidays count that year. "
                    + "Update src/main/resources/holidays/.", new TreeSet<>(coveredYears), year);
        }
    }
}
