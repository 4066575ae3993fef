package dev.toban.notify.paging;

import dev.toban.notify.config.PagingSettings;
import dev.toban.notify.dispatch.NewDelivery;
import dev.toban.notify.dispatch.channel.Outgoing;
import dev.toban.notify.dispatch.channel.SendResult;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Phone calls, through {@code toban.notify.paging.voice-providers} (Twilio): the call fetches its TwiML
 * from notify ({@link TwilioResource}), which reads the message and takes a keypress.
 */
@Singleton
public class VoiceChannel extends FallbackChannel {

    public VoiceChannel(PagingSettings settings, Twilio twilio) {
        super(settings.voiceProviders(), List.of(new Provider() {
            @Override
            public String name() {
                return "twilio";
            }

            @Override
            public boolean enabled() {
                return twilio.enabled();
            }

            @Override
            public SendResult send(Outgoing o) {
                return twilio.call(o.deliveryId(), o.target());
            }
        }));
    }

    @Override
    public String name() {
        return NewDelivery.VOICE;
    }
}
