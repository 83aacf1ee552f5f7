# The image's own nbgrader configuration (/etc/jupyter/nbgrader_config.py): the exchange on the shared
# volume (values.yaml mounts it at the same path in every server) and the course id.
c = get_config()  # noqa: F821
c.Exchange.root = "/srv/nbgrader/exchange"
c.CourseDirectory.course_id = "repairlab"
