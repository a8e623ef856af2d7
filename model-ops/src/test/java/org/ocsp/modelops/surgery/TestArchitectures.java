package org.ocsp.modelops.surgery;

import java.util.List;
import org.ocsp.modelops.arch.CifarResNet;
import org.ocsp.modelops.arch.FashionVgg;
import org.ocsp.modelops.arch.ImageNetResNet;
import org.ocsp.modelops.arch.MobileBlocks;
import org.ocsp.modelops.arch.Vgg;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.testing.SmallGraphs;

/** Every architecture the oracle tests run on (ImageNet ResNets at 64x64 to keep tests fast). */
final class TestArchitectures {
    private TestArchitectures() {
    }

    static List<NetworkGraph> all() {
        LayerSpec.Input small = new LayerSpec.Input(3, 64, 64);
        return List.of(SmallGraphs.vggWithFlatten(), SmallGraphs.residual(), SmallGraphs.depthwise(),
                FashionVgg.build(10), Vgg.cifar16(10), CifarResNet.resnet20(10), CifarResNet.resnet56(10),
                CifarResNet.resnet110(10), ImageNetResNet.resnet18(10, small), ImageNetResNet.resnet50(10, small),
                MobileBlocks.tiny(), MobileBlocks.tinyResidual());
    }
}
