package dev.toban.incident.web;

import dev.toban.incident.service.DowntimeService.Figure;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Grouped bar charts drawn on the server: one group of bars per month, one bar per team, the height
 * the figure's p50 or p90 in minutes. The coordinates are computed here and the template only writes
 * them into SVG, so the page needs no chart library (and no script).
 */
public final class DowntimeCharts {

    static final int WIDTH = 720;
    static final int HEIGHT = 260;
    static final int LEFT = 56;
    static final int RIGHT = 12;
    static final int TOP = 14;
    static final int BOTTOM = 34;
    static final List<String> COLORS = List.of("#0b5cad", "#d9480f", "#1a7f37", "#8250df", "#b08800", "#4a5568");

    private DowntimeCharts() {
    }

    /** The figures of one team in one month. */
    public record Cell(String team, Figure figure) {
    }

    /** One month and its teams' figures, in the order of the legend. */
    public record Month(String label, List<Cell> cells) {
    }

    public record Bar(double x, double y, double width, double height, String color, String title) {
    }

    public record Tick(double y, String label) {
        public double labelY() {
            return y + 4;
        }
    }

    public record Label(double x, String text) {
    }

    public record Swatch(String team, String color) {
    }

    /** One chart; {@code key} names the figure (timeToDetect, timeToAssign, timeToMitigate). */
    public record Chart(String key, int width, int height, int left, int right, int baseline, List<Bar> bars,
                        List<Tick> ticks, List<Label> months, List<Swatch> legend, boolean empty) {
        public int tickLabelX() {
            return left - 6;
        }

        public int monthLabelY() {
            return baseline + 18;
        }

        public int centerX() {
            return width / 2;
        }

        public int centerY() {
            return baseline / 2;
        }
    }

    static Chart chart(String key, List<Month> months, List<String> teams, boolean p90) {
        double max = 0;
        for (Month m : months) {
            for (Cell c : m.cells()) {
                Double v = value(c.figure(), p90);
                max = v == null ? max : Math.max(max, v / 60.0);
            }
        }
        double top = niceCeiling(max);
        int plotHeight = HEIGHT - TOP - BOTTOM;
        int baseline = HEIGHT - BOTTOM;
        double groupWidth = (WIDTH - LEFT - RIGHT) / (double) Math.max(1, months.size());
        double barWidth = Math.max(2, (groupWidth * 0.8) / Math.max(1, teams.size()));
        List<Bar> bars = new ArrayList<>();
        List<Label> labels = new ArrayList<>();
        for (int mi = 0; mi < months.size(); mi++) {
            Month m = months.get(mi);
            double groupX = LEFT + mi * groupWidth + groupWidth * 0.1;
            labels.add(new Label(round(LEFT + mi * groupWidth + groupWidth / 2), m.label()));
            for (int ti = 0; ti < m.cells().size(); ti++) {
                Cell c = m.cells().get(ti);
                Double v = value(c.figure(), p90);
                if (v == null) {
                    continue;
                }
                double h = top == 0 ? 0 : (v / 60.0) / top * plotHeight;
                bars.add(new Bar(round(groupX + ti * barWidth), round(baseline - h), round(barWidth - 1), round(h),
                        COLORS.get(ti % COLORS.size()),
                        c.team() + " · " + m.label() + ": " + minutes(v / 60.0) + " min (n=" + c.figure().count() + ")"));
            }
        }
        List<Tick> ticks = new ArrayList<>();
        for (int i = 0; i <= 4; i++) {
            double value = top * i / 4;
            ticks.add(new Tick(round(baseline - plotHeight * i / 4.0), minutes(value)));
        }
        List<Swatch> legend = new ArrayList<>();
        for (int ti = 0; ti < teams.size(); ti++) {
            legend.add(new Swatch(teams.get(ti), COLORS.get(ti % COLORS.size())));
        }
        return new Chart(key, WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, baseline, bars, ticks, labels, legend, bars.isEmpty());
    }

    static Double value(Figure figure, boolean p90) {
        return figure == null ? null : p90 ? figure.p90Seconds() : figure.p50Seconds();
    }

    /** 1, 2 or 5 times a power of ten, at least {@code max}; 1 when there is nothing to show. */
    static double niceCeiling(double max) {
        if (max <= 0) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(max)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * power >= max) {
                return step * power;
            }
        }
        return 10 * power;
    }

    static String minutes(double minutes) {
        return minutes >= 10 ? String.format(Locale.ROOT, "%.0f", minutes)
                : java.math.BigDecimal.valueOf(minutes).setScale(2, java.math.RoundingMode.HALF_UP).stripTrailingZeros()
                        .toPlainString();
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
