package org.ocsp.flink.cli;

import java.util.List;
import org.ocsp.flink.run.RunSpecs;
import org.ocsp.modelops.stability.StabilityConfig;
import org.ocsp.schemas.avro.event.CosineSchedule;
import org.ocsp.schemas.avro.event.LinearSchedule;
import org.ocsp.schemas.avro.event.LrScheduleKind;
import org.ocsp.schemas.avro.event.MultiStepSchedule;
import org.ocsp.schemas.avro.event.RegularizationStartMode;
import org.ocsp.schemas.avro.event.RunSpec;
import org.ocsp.schemas.avro.event.SaliencyKind;
import picocli.CommandLine.Option;

/** The run specification as command-line options (shared by {@code run start} and {@code demo}). */
final class RunSpecOptions {
    @Option(names = "--arch", description = "Architecture (model-ops name) (default: ${DEFAULT-VALUE}).")
    String arch = "fashion-vgg";

    @Option(names = "--num-classes", description = "Output classes (default: ${DEFAULT-VALUE}).")
    int numClasses = 10;

    @Option(names = "--input-shape", split = ",", description = "Example shape C,H,W (default: 1,28,28).")
    List<Integer> inputShape = List.of(1, 28, 28);

    @Option(names = "--dataset", description = "Train only on batches of this dataset name (default: any).")
    String dataset;

    @Option(names = "--target", description = "FLOPs reduction target in (0,1) (default: ${DEFAULT-VALUE}).")
    double target = 0.5;

    @Option(names = "--epochs", description = "Planned epochs (default: ${DEFAULT-VALUE}).")
    int epochs = 30;

    @Option(names = "--batch-size", description = "Largest batch the model takes (default: ${DEFAULT-VALUE}).")
    int batchSize = 128;

    @Option(names = "--lr", description = "Base learning rate (default: ${DEFAULT-VALUE}).")
    double lr = 0.1;

    @Option(names = "--schedule", description = "COSINE, LINEAR or MULTI_STEP (x0.2 at 30/60/80/90%%) (default: ${DEFAULT-VALUE}).")
    LrScheduleKind schedule = LrScheduleKind.COSINE;

    @Option(names = "--momentum", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
    double momentum = 0.9;

    @Option(names = "--nesterov", negatable = true, description = "Nesterov momentum (default: ${DEFAULT-VALUE}).")
    boolean nesterov = true;

    @Option(names = "--weight-decay", description = "Weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay = 5e-4;

    @Option(names = "--seed", description = "Seed of initialisation (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--saliency", description = "L2_MAGNITUDE, TAYLOR_FIRST_ORDER or BN_SCALE (default: ${DEFAULT-VALUE}).")
    SaliencyKind saliency = SaliencyKind.L2_MAGNITUDE;

    @Option(names = "--monitor-start", description = "First epoch with a sub-network (default: ${DEFAULT-VALUE}).")
    int monitorStart = StabilityConfig.DEFAULT_MONITOR_START;

    @Option(names = "--tau", description = "Stability threshold on J_avg (default: ${DEFAULT-VALUE}).")
    double tau = StabilityConfig.DEFAULT_TAU;

    @Option(names = "--reg-start", description = "Regularisation start: FIXED or AUTOMATIC (default: ${DEFAULT-VALUE}).")
    RegularizationStartMode regStart = RegularizationStartMode.AUTOMATIC;

    @Option(names = "--sl-start", description = "FIXED start: regularise when epoch > slStart + 1.")
    Integer slStart;

    @Option(names = "--plateau-eps", description = "AUTOMATIC start: plateau threshold (default: ${DEFAULT-VALUE}).")
    double plateauEps = StabilityConfig.DEFAULT_PLATEAU_EPS;

    @Option(names = "--lambda-start", description = "Initial penalty (default: ${DEFAULT-VALUE}).")
    double lambdaStart = StabilityConfig.DEFAULT_LAMBDA_START;

    @Option(names = "--lambda-delta", description = "Penalty increase per interval (default: ${DEFAULT-VALUE}).")
    double lambdaDelta = StabilityConfig.DEFAULT_LAMBDA_DELTA;

    @Option(names = "--lambda-interval", description = "Epochs between increases (default: ${DEFAULT-VALUE}).")
    int lambdaInterval = StabilityConfig.DEFAULT_LAMBDA_INTERVAL;

    @Option(names = "--hard-cap", description = "Prune at this epoch at the latest (default: none).")
    Integer hardCap;

    RunSpec toSpec() {
        RunSpec spec = RunSpecs.reference(arch, numClasses, inputShape, target, epochs).build();
        spec.setDatasetName(dataset);
        spec.setBatchSize(batchSize);
        spec.getOptimizer().setLearningRate(lr);
        spec.getOptimizer().setMomentum(momentum);
        spec.getOptimizer().setNesterov(nesterov);
        spec.getOptimizer().setWeightDecay(weightDecay);
        spec.getLrSchedule().setKind(schedule);
        switch (schedule) {
            case LINEAR:
                spec.getLrSchedule().setParams(LinearSchedule.newBuilder().setFinalLearningRate(0).setHorizonEpochs(null)
                        .build());
                break;
            case MULTI_STEP:
                spec.getLrSchedule().setParams(MultiStepSchedule.newBuilder().setGamma(0.2).setMilestoneEpochs(List.of(
                        (int) Math.round(epochs * 0.3), (int) Math.round(epochs * 0.6), (int) Math.round(epochs * 0.8),
                        (int) Math.round(epochs * 0.9))).build());
                break;
            default:
                spec.getLrSchedule().setParams(CosineSchedule.newBuilder().setFinalLearningRate(0).setHorizonEpochs(null)
                        .build());
        }
        spec.setSeed(seed);
        spec.setSaliency(saliency);
        spec.getStability().setMonitorStart(monitorStart);
        spec.getStability().setTau(tau);
        spec.getStability().setRegularizationStart(regStart);
        spec.getStability().setSlStart(slStart);
        spec.getStability().setPlateauEps(plateauEps);
        spec.getStability().setLambdaStart(lambdaStart);
        spec.getStability().setLambdaDelta(lambdaDelta);
        spec.getStability().setLambdaInterval(lambdaInterval);
        spec.getStability().setHardCapEpoch(hardCap);
        return RunSpecs.validate(spec);
    }
}
