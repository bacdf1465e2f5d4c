package io.barsbackfill.common.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The runs a page completes are cut into at most four groups, in order, none empty. */
class StoreGroupsTest {

    @Test
    void fiftyRunsMakeFourGroupsInOrder() {
        List<Integer> runs = IntStream.range(0, 50).boxed().toList();
        List<List<Integer>> groups = StoreGroups.split(runs);
        assertThat(groups).extracting(List::size).containsExactly(13, 13, 13, 11);
        assertThat(groups.stream().flatMap(List::stream).toList()).isEqualTo(runs);
    }

    @Test
    void fewRunsAreStoredOneAGroup() {
        assertThat(StoreGroups.split(List.of(1, 2, 3))).containsExactly(List.of(1), List.of(2), List.of(3));
        assertThat(StoreGroups.split(List.of(1, 2, 3, 4, 5))).containsExactly(List.of(1, 2), List.of(3, 4), List.of(5));
        assertThat(StoreGroups.split(List.of())).isEmpty();
    }
}
