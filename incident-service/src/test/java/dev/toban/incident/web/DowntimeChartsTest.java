package dev.toban.incident.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toban.incident.downtime.DowntimeService.Figure;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The downtime charts' axis: nice steps, labels that never repeat, seconds when everything is under a minute. */
class DowntimeChartsTest {

    static DowntimeCharts.Chart chart(double... p50Seconds) {
        List<DowntimeCharts.Cell> cells = new java.util.ArrayList<>();
        for (int i = 0; i < p50Seconds.length; i++) {
            cells.add(new DowntimeCharts.Cell("Team " + i, new Figure(p50Seconds[i], p50Seconds[i], 1), "/ui/incidents"));
        }
        List<String> teams = cells.stream().map(DowntimeCharts.Cell::team).toList();
        return DowntimeCharts.chart("timeToAssign", List.of(new DowntimeCharts.Month("Nov 2026", cells)), teams, false);
    }

    static List<String> labels(DowntimeCharts.Chart chart) {
        return chart.ticks().stream().map(DowntimeCharts.Tick::label).toList();
    }

    @Test
    void tickLabelsNeverRepeat() {
        // the chart: about a second, which the minute axis labelled 0, 0.01, 0.01, 0.02, 0.02
        for (double[] values : new double[][] {{1.2}, {0.3, 0.9}, {0.02}, {59}, {61}, {150, 20}, {600.5}, {7200},
                {86_400 * 3}, {0.0004}}) {
            List<String> labels = labels(chart(values));
            assertEquals(labels.size(), new HashSet<>(labels).size(), java.util.Arrays.toString(values) + " " + labels);
            assertTrue(labels.size() >= 2 && labels.size() <= 6, labels.toString());
        }
        assertEquals(List.of("0.0", "0.5", "1.0", "1.5"), labels(chart(1.2)));
        assertEquals(List.of("0", "2", "4", "6", "8", "10"), labels(chart(600, 20)), "minutes");
    }

    @Test
    void underAMinuteTheAxisCountsSecondsAndTheTallestBarFitsUnderTheTop() {
        DowntimeCharts.Chart seconds = chart(1.2);
        assertEquals("seconds", seconds.unit());
        assertEquals("minutes", chart(61).unit());
        for (double[] values : new double[][] {{1.2}, {61}, {150, 20}, {7200}}) {
            DowntimeCharts.Chart c = chart(values);
            double top = c.ticks().get(c.ticks().size() - 1).y();
            c.bars().forEach(b -> assertTrue(b.y() >= top - 0.1, b + " above " + top));
            assertEquals("/ui/incidents", c.bars().get(0).link(), "each bar leads to its incidents");
        }
    }

    @Test
    void stepsAreOneTwoOrFiveTimesAPowerOfTen() {
        for (double max : new double[] {0.02, 0.07, 1.3, 7, 13, 47, 120, 999, 12345}) {
            DowntimeCharts.Axis axis = DowntimeCharts.axis(max);
            double mantissa = axis.step() / Math.pow(10, Math.floor(Math.log10(axis.step())));
            assertTrue(List.of(1.0, 2.0, 5.0).stream().anyMatch(m -> Math.abs(m - mantissa) < 1e-9), max + ": " + axis);
            assertTrue(axis.top() >= max - 1e-9 && axis.steps() <= 5, max + ": " + axis);
        }
    }
}
