package dev.toban.notify.paging;

import dev.toban.notify.dispatch.channel.Outgoing;
import dev.toban.notify.dispatch.channel.SendResult;

/**
 * One provider of a waking channel (Twilio or an SMS gateway for sms, Twilio for voice). A channel
 * tries its configured providers in order until one takes the message.
 */
public interface Provider {

    /** The name used in {@code toban.notify.paging.*-providers}: twilio, http. */
    String name();

    /** False without its credentials. */
    boolean enabled();

    /** One attempt; never throws. */
    SendResult send(Outgoing outgoing);
}
