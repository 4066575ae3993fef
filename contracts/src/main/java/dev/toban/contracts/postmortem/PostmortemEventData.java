package dev.toban.contracts.postmortem;

import dev.toban.contracts.Actor;

/** What every toban.postmortem.* event carries. */
public interface PostmortemEventData {

    PostmortemSnapshot postmortem();

    Actor actor();
}
