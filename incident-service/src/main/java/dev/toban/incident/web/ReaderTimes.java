package dev.toban.incident.web;

import dev.toban.incident.directory.PeopleDirectoryService;
import dev.toban.plumbing.web.PageContext;
import jakarta.enterprise.context.ApplicationScoped;

/** The {@link Times} of the signed-in reader: their time zone from the people directory. */
@ApplicationScoped
public class ReaderTimes {

    private final PeopleDirectoryService people;

    public ReaderTimes(PeopleDirectoryService people) {
        this.people = people;
    }

    public Times of(PageContext ctx) {
        String zone = ctx.username() == null ? null
                : people.byUsername(ctx.username()).map(p -> p.timeZone).orElse(null);
        return Times.of(zone, ctx.ja());
    }
}
