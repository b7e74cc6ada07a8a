from qualityaward.documents.checks import media_not_served


def test_project_settings_keep_uploads_out_of_static_files():
    assert media_not_served(None) == []


def test_uploads_under_static_root_are_an_error(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.MEDIA_ROOT = tmp_path / "static" / "media"
    errors = media_not_served(None)
    assert [error.id for error in errors] == ["documents.E001"]
    assert "overlaps a static files directory" in errors[0].msg
