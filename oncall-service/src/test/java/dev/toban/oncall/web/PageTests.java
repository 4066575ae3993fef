package dev.toban.oncall.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the page tests share: the CSRF token of a page, form posts as a browser sends them, what a reader sees. */
final class PageTests {

    static final String CSRF_COOKIE = OnCallPagesTest.CSRF_COOKIE;
    static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private PageTests() {
    }

    /** A page GET (200) that yields the CSRF cookie the page's forms echo. */
    static String csrf(String path) {
        Response page = given().get(path);
        assertEquals(200, page.statusCode(), page.asString());
        return page.cookie(CSRF_COOKIE);
    }

    /** A form post with the token in the cookie and the csrf field, as the browser sends it. */
    static RequestSpecification form(String token) {
        return given().cookie(CSRF_COOKIE, token).contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam("csrf", token).redirects().follow(false);
    }

    /** The text a reader sees: the page without its tags, attributes, scripts and hidden values. */
    static String visible(String html) {
        return html.replaceAll("(?s)<script.*?</script>", " ").replaceAll("(?s)<datalist.*?</datalist>", " ")
                .replaceAll("(?s)<[^>]*>", " ").replaceAll("&[a-z#0-9]+;", " ").replaceAll("\\s+", " ");
    }

    /**
     * Fails if the reader would see an id anywhere on the page. The choices of select boxes are left out:
     * they are names, and other test classes name their teams with random ids.
     */
    static void assertNoVisibleId(String html) {
        String shown = visible(html.replaceAll("(?s)<select.*?</select>", " "));
        for (String name : namesThatLookLikeIds()) {
            shown = shown.replace(name, " ");
        }
        String text = shown;
        Matcher m = UUID.matcher(text);
        assertFalse(m.find(), () -> "an id is shown: " + m.group() + " in " + text);
    }

    /**
     * What the service layer reads now, in a transaction (and so a persistence context) of its own: a test
     * method's own context would answer what it read before the page changed it.
     */
    static <T> T fresh(java.util.function.Supplier<T> read) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(read::get);
    }

    /** Names other test classes gave with a random id in them (a team renamed to a UUID): names, not ids. */
    static java.util.List<String> namesThatLookLikeIds() {
        var arc = io.quarkus.arc.Arc.container();
        java.util.List<String> names = fresh(() -> {
            java.util.List<String> all = new java.util.ArrayList<>();
            arc.instance(dev.toban.oncall.team.TeamService.class).get().list(true).forEach(t -> all.add(t.name()));
            arc.instance(dev.toban.oncall.people.PersonService.class).get().list(true).forEach(p -> all.add(p.name()));
            arc.instance(dev.toban.oncall.schedule.ScheduleService.class).get().list(null, null, true)
                    .forEach(x -> all.add(x.name()));
            arc.instance(dev.toban.oncall.escalation.EscalationPolicyService.class).get().list(true)
                    .forEach(x -> all.add(x.name()));
            return all;
        });
        return names.stream().filter(n -> UUID.matcher(n).find()).toList();
    }

    /** The id at the end of a redirect's Location path ({@code /ui/settings/people/<id>?done=created}). */
    static String idFrom(String location) {
        Matcher m = Pattern.compile("/([0-9a-f-]{36})(\\?|$)").matcher(location);
        assertTrue(m.find(), location);
        return m.group(1);
    }

    /** The field's problem as the page shows it: the {@code field-error} paragraph after the field. */
    static String errorAfter(String html, String fieldName) {
        int at = html.indexOf("name=\"" + fieldName + "\"");
        assertTrue(at >= 0, "no field " + fieldName);
        Matcher m = Pattern.compile("<p class=\"field-error\"[^>]*>([^<]*)</p>").matcher(html);
        assertTrue(m.find(at), "no problem shown after " + fieldName);
        int next = html.indexOf(" name=\"", at + 6);
        assertTrue(next < 0 || m.start() < next, () -> "the problem after " + fieldName + " belongs to a later field: "
                + m.group(1));
        return m.group(1);
    }
}
