package dev.toban.oncall.web;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which form row each row of a request came from. A form has rows the request leaves out (blank ones,
 * removed ones) and may reorder them (participants by their order number), so the service's
 * {@code layers[1].participantIds[0]} may be the form's {@code layers[2].participantIds[3]}.
 */
final class RowMap {

    private static final Pattern SEGMENT = Pattern.compile("^([A-Za-z]+)\\[(\\d+)\\]$");

    /** Form row indexes by group ({@code layers}, {@code layers[2].participantIds}), in request order. */
    private final Map<String, List<Integer>> groups = new HashMap<>();

    /** The next request row of {@code group} (named with form indexes) is form row {@code formIndex}. */
    void add(String group, int formIndex) {
        groups.computeIfAbsent(group, g -> new ArrayList<>()).add(formIndex);
    }

    /** The service's field name with form row numbers. */
    String toForm(String field) {
        StringBuilder out = new StringBuilder();
        for (String segment : field.split("\\.")) {
            Matcher m = SEGMENT.matcher(segment);
            String group = (out.length() == 0 ? "" : out + ".") + (m.matches() ? m.group(1) : segment);
            if (out.length() > 0) {
                out.append('.');
            }
            if (m.matches()) {
                int index = Integer.parseInt(m.group(2));
                List<Integer> rows = groups.get(group);
                out.append(m.group(1)).append('[').append(rows != null && index < rows.size() ? rows.get(index) : index)
                        .append(']');
            } else {
                out.append(segment);
            }
        }
        return out.toString();
    }
}
