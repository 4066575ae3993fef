package dev.toban.postmortem.client;

/** The other service answered 404: the id does not exist there. Not a failure of the call. */
public class RemoteNotFoundException extends RuntimeException {
    public RemoteNotFoundException(String message) {
        super(message);
    }
}
