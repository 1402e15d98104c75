# timm's name of the model: <architecture>[.<weights tag>] (without a tag, timm's default weights)
TIMM_MODEL = {{ f.timm_model | pyrepr }}


def build_backbone(cfg: dict[str, Any]) -> tuple[nn.Module, int]:
    """The timm model TIMM_MODEL without its classifier (reset_classifier(0): the project's own head replaces it)
    and the number of features it outputs: pooled vectors through timm's own forward_head, or, with
    model.multiscale_pooling, its last feature maps."""
    import timm

    weights = cfg["model"].get("weights")  # DEFAULT: the weights named by model.backbone; null: random
    if weights not in (None, "DEFAULT"):
        from .errors import ConfigError

        raise ConfigError(f"model.weights: {weights!r} is not allowed for a timm backbone; allowed: DEFAULT, null")
    options = {}
    default = timm.models.get_pretrained_cfg(TIMM_MODEL)
    if default is not None and default.fixed_input_size:  # ViT, Swin ...: built for data.image_size instead
        options["img_size"] = cfg["data"]["image_size"]  # (timm resamples pretrained position embeddings)
    try:
        net = timm.create_model(TIMM_MODEL, pretrained=weights is not None, **options)
    except OSError:  # huggingface_hub: not in the local cache, and offline (LocalEntryNotFoundError) or unreachable
        raise missing_weights(timm) from None
    net.reset_classifier(0)
    pooled = not cfg["model"]["multiscale_pooling"]
    features = TimmFeatures(net, pooled)
    if not pooled:
        check_feature_maps(net, cfg["data"]["image_size"])
    if cfg["normalization"] not in ("batchnorm", "frozen-batchnorm"):  # replace_batchnorm will swap them
        unfuse_batchnorm_act(net)
    # pooled: what forward_head(pre_logits=True) outputs, wider than the maps where timm adds a pre-logits layer
    # (MobileNetV3's conv_head: 288 channels pooled into 1,024 features)
    return features, (getattr(net, "head_hidden_size", None) or net.num_features) if pooled else net.num_features


class TimmFeatures(nn.Module):
    """A timm model as the feature extractor: forward_features (maps for CNNs, tokens for ViTs), then, when pooled,
    forward_head(pre_logits=True): the model's own pooling (average, class token, ...) and pre-logits norm, which
    works the same for CNNs and ViTs."""

    def __init__(self, net: nn.Module, pooled: bool) -> None:
        super().__init__()
        self.net = net
        self.pooled = pooled

    def forward(self, images):
        features = self.net.forward_features(images)
        return self.net.forward_head(features, pre_logits=True) if self.pooled else features

    def early_parameters(self) -> tuple[str, ...]:
        """The parameters (names inside this module) that freeze: early-layers freezes.

        The rule, for any architecture with timm's feature info: net.feature_info lists the stages whose outputs are
        feature maps (ResNet: act1, layer1 ... layer4; ConvNeXt: stages.0 ... stages.3; ViT: blocks.0 ... blocks.11);
        the stem and the first half of those stages (rounded up) freeze, i.e. every parameter of a module that timm
        registers before the end of stage ceil(n / 2) (timm registers modules in the order they compute). Early
        layers detect generic edges and textures, the later ones adapt to this data. ResNet-18 then freezes conv1,
        bn1, layer1 and layer2, ConvNeXt its stem and first two stages, a 12-block ViT its patch and position
        embeddings and blocks 0-5."""
        stages = [info["module"] for info in self.net.feature_info]
        last = stages[(len(stages) + 1) // 2 - 1]
        order = {name: index for index, (name, _) in enumerate(self.net.named_modules())}
        end = max(index for name, index in order.items() if name == last or name.startswith(last + "."))
        return tuple(f"net.{name}" for name, _ in self.net.named_parameters() if order[name.rpartition(".")[0]] <= end)


def early_parameters(model: nn.Module) -> tuple[str, ...]:
    """The names (as model.named_parameters gives them) of the parameters freeze: early-layers freezes."""
    return tuple(
        f"{prefix}.{name}"
        for prefix, module in model.named_modules()
        if isinstance(module, TimmFeatures)
        for name in module.early_parameters()
    )


def missing_weights(timm: Any) -> Exception:
    """The error for pretrained weights that are neither in the Hugging Face cache nor downloadable."""
    from huggingface_hub.constants import HF_HUB_CACHE

    from .errors import UserError

    repo = timm.models.get_pretrained_cfg(TIMM_MODEL).hf_hub_id or TIMM_MODEL  # e.g. timm/resnet18.a1_in1k
    return UserError(
        f"the pretrained weights of {TIMM_MODEL} (Hugging Face {repo}) are not in the cache {HF_HUB_CACHE} and could "
        f"not be downloaded; run once with internet access, or on a connected machine `hf download {repo}` "
        "(huggingface-cli download in older huggingface_hub) and copy that cache here (or point HF_HOME at it), "
        "or --set model.weights=null to start from random weights"
    )


def check_feature_maps(net: nn.Module, image_size: int) -> None:
    """model.multiscale_pooling pools (N, C, H, W) feature maps: refuse models whose forward_features returns tokens
    (ViTs: N, tokens, C) or channels-last maps (Swin: N, H, W, C)."""
    import torch

    from .errors import ConfigError

    training = net.training
    with torch.no_grad():
        shape = tuple(net.eval().forward_features(torch.zeros(1, 3, image_size, image_size)).shape)
    net.train(training)
    if len(shape) != 4 or shape[1] != net.num_features:
        raise ConfigError(
            f"model.multiscale_pooling needs feature maps (batch, channels, height, width), but {TIMM_MODEL} computes "
            f"features of shape {shape}; regenerate with trainwizard update --set model.multiscale_pooling=false"
        )


def unfuse_batchnorm_act(module: nn.Module) -> None:
    """timm's BatchNormAct2d (BatchNorm, dropout and activation in one layer: EfficientNet, MobileNetV3 ...) becomes
    Sequential(BatchNorm2d, dropout, activation) with the same weights, so that swapping the BatchNorm for the
    chosen normalization keeps the activation."""
    for name, child in module.named_children():
        if isinstance(child, nn.BatchNorm2d) and isinstance(getattr(child, "act", None), nn.Module):
            plain = nn.BatchNorm2d(
                child.num_features, child.eps, child.momentum, child.affine, child.track_running_stats
            )
            plain.load_state_dict({key: value for key, value in child.state_dict().items() if "." not in key})
            setattr(module, name, nn.Sequential(plain, child.drop, child.act))
        else:
            unfuse_batchnorm_act(child)