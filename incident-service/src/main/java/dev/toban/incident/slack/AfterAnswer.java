package dev.toban.incident.slack;

import dev.toban.incident.client.SlackWebClient;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * What the Slack app does after it has answered Slack (which waits at most 3 s): private answers through the
 * {@code response_url} or {@code chat.postEphemeral}, and slow calls such as postmortem-service's decision. Each
 * runs on a worker thread with a request context of its own (database reads), never inside a transaction.
 */
@ApplicationScoped
public class AfterAnswer {

    private static final Logger LOG = Logger.getLogger(AfterAnswer.class);

    /** Where a private answer to one Slack user goes: the interaction's response_url, else ephemeral in a channel. */
    public record Reply(String responseUrl, String channel, String user) {

        public static final Reply NOWHERE = new Reply(null, null, null);
    }

    private final SlackWebClient slack;

    public AfterAnswer(SlackWebClient slack) {
        this.slack = slack;
    }

    /** Runs {@code work} soon, on a worker thread; a failure is logged. */
    public void run(Runnable work) {
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            ManagedContext requestContext = Arc.container().requestContext();
            boolean activated = !requestContext.isActive();
            if (activated) {
                requestContext.activate();
            }
            try {
                work.run();
            } catch (RuntimeException e) {
                LOG.warnf(e, "Slack app: work after the answer failed");
            } finally {
                if (activated) {
                    requestContext.terminate();
                }
            }
        });
    }

    /** Sends {@code text} (Slack mrkdwn) privately to the person who acted, soon. */
    public void reply(Reply reply, String text) {
        run(() -> send(reply, text));
    }

    /** Sends {@code text} now, on the caller's thread (already after the answer). */
    public void send(Reply reply, String text) {
        try {
            if (reply.responseUrl() != null && !reply.responseUrl().isBlank()) {
                slack.respond(reply.responseUrl(), text);
            } else if (reply.channel() != null && reply.user() != null && slack.enabled()) {
                slack.postEphemeral(reply.channel(), reply.user(), text);
            } else {
                LOG.infof("Slack app: no way to answer Slack user %s privately: %s", reply.user(), text);
            }
        } catch (SlackWebClient.SlackCallException e) {
            LOG.infof("Slack app: the private answer to %s could not be sent (%s): %s", reply.user(), e.error(), text);
        }
    }
}
