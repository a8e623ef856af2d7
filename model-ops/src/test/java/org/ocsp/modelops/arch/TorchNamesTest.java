package org.ocsp.modelops.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ocsp.modelops.graph.LayerId;

class TorchNamesTest {

    @Test
    void functionalIdsCarryAnFSegment() {
        assertEquals("layer1.0.F.relu", TorchNames.functional("layer1.0", "relu"));
        assertEquals("F.relu0", TorchNames.functional("", "relu0"));
        assertTrue(TorchNames.isFunctional(LayerId.of("layer1.0.F.relu")));
        assertTrue(TorchNames.isFunctional(LayerId.of("F.relu0")));
    }

    @Test
    void moduleNamesAreNotFunctional() {
        for (String id : new String[] {"layer1.0.relu", "layer1.0.relu#2", "features.0", "fc", "Foo.relu", "x.Fa.y"}) {
            assertFalse(TorchNames.isFunctional(LayerId.of(id)), id);
        }
    }

    @Test
    void repeatedModuleCallsAreNumberedFromTwo() {
        assertEquals("layer1.0.relu#2", TorchNames.call("layer1.0.relu", 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TorchNames.call("layer1.0.relu", 1));
        assertEquals("Invalid call number 1 for module 'layer1.0.relu': the first call uses the module name itself,"
                + " later calls are numbered from 2", e.getMessage());
    }
}
