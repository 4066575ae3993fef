package dev.toban.incident.web;

import dev.toban.incident.downtime.DowntimeService.Figure;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Grouped bar charts drawn on the server: one group of bars per month, one bar per team, the height
 * the figure's p50 or p90 in minutes (seconds when all are under a minute); each bar links to its incidents. The coordinates are computed here and the template only writes
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

    /** The figures of one team in one month; {@code link} is the incident list of that team and month. */
    public record Cell(String team, Figure figure, String link) {
    }

    /** One month and its teams' figures, in the order of the legend. */
    public record Month(String label, List<Cell> cells) {
    }

    public record Bar(double x, double y, double width, double height, String color, String title, String link) {
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

    /**
     * One chart; {@code key} names the figure (timeToDetect, timeToAssign, timeToMitigate), {@code unit} the unit of
     * its axis ({@code minutes}, or {@code seconds} when every value is under a minute).
     */
    public record Chart(String key, String unit, int width, int height, int left, int right, int baseline, List<Bar> bars,
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

    /** The axis: a nice step (1, 2 or 5 times a power of ten), how many steps, and the decimals its labels need. */
    record Axis(double step, int steps, int decimals) {
        double top() {
            return step * steps;
        }

        String label(int i) {
            return String.format(Locale.ROOT, "%." + decimals + "f", step * i);
        }
    }

    static Chart chart(String key, List<Month> months, List<String> teams, boolean p90) {
        double maxSeconds = 0;
        for (Month m : months) {
            for (Cell c : m.cells()) {
                Double v = value(c.figure(), p90);
                maxSeconds = v == null ? maxSeconds : Math.max(maxSeconds, v);
            }
        }
        // under a minute the axis counts seconds: "0.01 min" says less than "0.6 s"
        boolean seconds = maxSeconds > 0 && maxSeconds < 60;
        double divisor = seconds ? 1 : 60;
        Axis axis = axis(maxSeconds / divisor);
        double top = axis.top();
        int plotHeight = HEIGHT - TOP - BOTTOM;
        int baseline = HEIGHT - BOTTOM;
        double groupWidth = (WIDTH - LEFT - RIGHT) / (double) Math.max(1, months.size());
        double barWidth = Math.max(2, (groupWidth * 0.8) / Math.max(1, teams.size()));
        String unit = seconds ? "s" : "min";
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
                double h = (v / divisor) / top * plotHeight;
                bars.add(new Bar(round(groupX + ti * barWidth), round(baseline - h), round(barWidth - 1), round(h),
                        COLORS.get(ti % COLORS.size()),
                        c.team() + " · " + m.label() + ": " + number(v / divisor) + " " + unit + " (n="
                                + c.figure().count() + ")", c.link()));
            }
        }
        List<Tick> ticks = new ArrayList<>();
        for (int i = 0; i <= axis.steps(); i++) {
            ticks.add(new Tick(round(baseline - plotHeight * i / (double) axis.steps()), axis.label(i)));
        }
        List<Swatch> legend = new ArrayList<>();
        for (int ti = 0; ti < teams.size(); ti++) {
            legend.add(new Swatch(teams.get(ti), COLORS.get(ti % COLORS.size())));
        }
        return new Chart(key, seconds ? "seconds" : "minutes", WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, baseline, bars, ticks,
                labels, legend, bars.isEmpty());
    }

    static Double value(Figure figure, boolean p90) {
        return figure == null ? null : p90 ? figure.p90Seconds() : figure.p50Seconds();
    }

    /**
     * At most 5 steps of a nice size (1, 2 or 5 times a power of ten) reaching {@code max}, labelled with just the
     * decimals the step needs: no two labels are the same (0, 0.005, 0.01... never 0, 0.01, 0.01).
     */
    static Axis axis(double max) {
        if (!(max > 0) || Double.isInfinite(max)) {
            return new Axis(1, 4, 0);
        }
        double rough = max / 5;
        double power = Math.pow(10, Math.floor(Math.log10(rough)));
        double step = 10 * power;
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * power >= rough) {
                step = m * power;
                break;
            }
        }
        int steps = (int) Math.ceil(max / step - 1e-9);
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
        if (Math.abs(step * Math.pow(10, decimals) - Math.rint(step * Math.pow(10, decimals))) > 1e-6) {
            decimals++; // a step such as 2.5 (never chosen today) would need one more
        }
        return new Axis(step, Math.max(1, steps), decimals);
    }

    static String number(double value) {
        return value >= 10 ? String.format(Locale.ROOT, "%.0f", value)
                : java.math.BigDecimal.valueOf(value).setScale(2, java.math.RoundingMode.HALF_UP).stripTrailingZeros()
                        .toPlainString();
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
