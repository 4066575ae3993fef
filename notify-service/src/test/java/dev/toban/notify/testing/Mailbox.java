package dev.toban.notify.testing;

import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads what GreenMail received. */
public final class Mailbox {

    private Mailbox() {
    }

    public static List<MimeMessage> to(String address) {
        return Arrays.stream(NotifyTestResources.mail().getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getRecipients(Message.RecipientType.TO))
                        .anyMatch(r -> r.toString().contains(address));
            } catch (MessagingException e) {
                return false;
            }
        }).toList();
    }

    /** The parts of a message by content type (text/plain, text/html), decoded. */
    public static Map<String, String> parts(MimeMessage message) throws MessagingException, IOException {
        Map<String, String> parts = new LinkedHashMap<>();
        collect(message.getContent(), message.getContentType(), parts);
        return parts;
    }

    private static void collect(Object content, String type, Map<String, String> parts)
            throws MessagingException, IOException {
        if (content instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart part = multipart.getBodyPart(i);
                collect(part.getContent(), part.getContentType(), parts);
            }
        } else {
            parts.put(type.split(";")[0].trim().toLowerCase(), String.valueOf(content));
        }
    }
}
