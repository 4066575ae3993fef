package dev.toban.incident.web;

/** A page asked for something that does not exist (an unknown incident or service): a 404 page, not JSON. */
public class PageNotFoundException extends RuntimeException {

    /** Which text explains it: {@code notFound.<what>} (incident, service). */
    private final String what;

    public PageNotFoundException(String what) {
        super(what + " not found");
        this.what = what;
    }

    public String what() {
        return what;
    }
}
