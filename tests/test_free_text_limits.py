"""Every text a person types is bounded, on the screens as in the API (tests/api/test_schema.py): the
model's ``max_length`` gives the forms their limit and their ``maxlength`` attribute."""

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.apps import apps
from django.db import models

import clea

# Texts the platform writes itself, never typed into a form: référentiel data, generated files, digests.
GENERATED = {
    ("referentiel", "ReferentielVersion", "source"),
    ("referentiel", "Criterion", "title"),
    ("referentiel", "Criterion", "indicator"),
    ("notifications", "DigestItem", "body"),
    ("certificates", "CpfExport", "content"),
    ("certificates", "CpfExport", "ack_content"),
    ("certificates", "CpfRecord", "rejection_reason"),
}


def clea_models():
    return [m for m in apps.get_models() if m.__module__.startswith("clea.")]


def test_every_typed_text_field_of_the_models_has_a_limit():
    unbounded = [
        f"{model._meta.app_label}.{model.__name__}.{field.name}"
        for model in clea_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField)
        and not field.max_length
        and (model._meta.app_label, model.__name__, field.name) not in GENERATED
    ]
    assert not unbounded, unbounded


def test_the_generated_list_names_real_fields():
    for app_label, model_name, field_name in GENERATED:
        apps.get_model(app_label, model_name)._meta.get_field(field_name)  # raises if it is gone


def clea_forms():
    for module_info in pkgutil.walk_packages(clea.__path__, "clea."):
        if module_info.name.endswith(".forms"):
            module = importlib.import_module(module_info.name)
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                    yield cls


@pytest.mark.parametrize("form_class", list(clea_forms()), ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_every_text_field_of_the_forms_has_a_limit(form_class):
    unbounded = [
        name
        for name, field in form_class.base_fields.items()
        if type(field) in (forms.CharField, forms.EmailField)
        and not field.max_length
        # Django's own password fields: checked by AUTH_PASSWORD_VALIDATORS, hashed, never stored as typed.
        and not name.startswith("password")
    ]
    assert not unbounded, f"{form_class.__name__}: {unbounded}"
