package dev.toban.notify.paging;

import dev.toban.notify.config.PagingSettings;
import dev.toban.notify.dispatch.NewDelivery;
import dev.toban.notify.dispatch.channel.Outgoing;
import dev.toban.notify.dispatch.channel.SendResult;
import jakarta.inject.Singleton;
import java.util.List;

/** SMS to an E.164 number, through the providers of {@code toban.notify.paging.sms-providers} in order. */
@Singleton
public class SmsChannel extends FallbackChannel {

    public SmsChannel(PagingSettings settings, Twilio twilio, HttpSmsGateway gateway) {
        super(settings.smsProviders(), List.of(new Provider() {
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
                return twilio.sms(o.deliveryId(), o.target(), o.message().text());
            }
        }, gateway));
    }

    @Override
    public String name() {
        return NewDelivery.SMS;
    }
}
